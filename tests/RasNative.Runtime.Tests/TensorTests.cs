using RasNative.Runtime.Tensors;
using Xunit;

namespace RasNative.Runtime.Tests;

public class TensorTests
{
    [Fact]
    public void ShapeLengthMultipliesDimensions() => Assert.Equal(24, Tensor.ShapeLength([2, 3, 4]));
}
