namespace RasNative.Runtime.Models;

/// <summary>A model's activation arena: every buffer of one forward, sized for the largest <see cref="TokenShape"/> seen.</summary>
internal interface IActivationArena
{
    TokenShape Capacity { get; }
}
