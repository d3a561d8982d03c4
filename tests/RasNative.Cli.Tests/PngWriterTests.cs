using RasNative.Cli.Images;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>PNG round trip through an independent decoder, with the iTXt chunk read back by hand.</summary>
public class PngWriterTests
{
    [Theory]
    [InlineData(7, 5, "a cat — 猫, naïve\nNegative prompt: blurry\nSteps: 4, Seed: 42")]
    [InlineData(1, 1, "")]
    [InlineData(3, 9, null)]
    public void PixelsAndParametersRoundTrip(int width, int height, string? parameters)
    {
        using var temp = new TempFolder();
        var random = new Random(width * 31 + height);
        var pixels = new byte[width * height * 3];
        random.NextBytes(pixels);
        using (var stream = File.Create(temp.File("image.png")))
            PngWriter.Write(stream, pixels, width, height, parameters);

        var (decoded, decodedWidth, decodedHeight) = PngFile.Pixels(temp.File("image.png"));
        Assert.Equal((width, height), (decodedWidth, decodedHeight));
        Assert.Equal(pixels, decoded);
        Assert.Equal(parameters, PngFile.InternationalText(temp.File("image.png"), PngWriter.ParametersKeyword));
        Assert.Equal(parameters == null ? 0 : 1, PngFile.Chunks(temp.File("image.png")).Count(c => c.Type == "iTXt"));
    }
}
