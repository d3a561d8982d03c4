using Xunit;

// The harness swaps Console.Out/Error; one collection per assembly keeps the tests from interleaving.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
