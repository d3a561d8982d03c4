using System.CommandLine;
using RasNative.Runtime.Models.Vae;

namespace RasNative.Cli.Images;

/// <summary>--vae-tiling: decode in overlapping latent tiles (<see cref="VaeTiling.Default"/>), bounding the decoder's memory.</summary>
public sealed class VaeOptions
{
    public Option<bool> Tiling { get; } = new("--vae-tiling")
    {
        Description = $"decode in overlapping tiles of {VaeTiling.Default.TileSize}² latent pixels sharing {VaeTiling.Default.Overlap} (memory of one tile; output differs slightly, see docs/vae.md)",
    };

    public void AddTo(Command command) => command.Options.Add(Tiling);

    public VaeTiling? Get(ParseResult parsed) => parsed.GetValue(Tiling) ? VaeTiling.Default : null;
}
