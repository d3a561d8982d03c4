using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace RasNative.Cli.Infrastructure;

/// <summary>
/// Options with the CLI's error contract: numbers parse in the invariant culture and must be finite and in range,
/// choices list themselves on one line, and every message names the flag — never a .NET type.
/// </summary>
public static class CliOptions
{
    /// <summary>A number option (int, long, float, double, or nullable) within [min, max]; exclusive bounds by flag.</summary>
    public static Option<T> Number<T>(string name, string description, double min = double.MinValue, double max = double.MaxValue,
        bool minExclusive = false, Func<ArgumentResult, T>? defaultValue = null)
    {
        var option = new Option<T>(name) { Description = description, CustomParser = result => Parse<T>(result, name) };
        if (defaultValue != null) option.DefaultValueFactory = defaultValue;
        option.Validators.Add(result =>
        {
            if (result.Implicit || result.Tokens.Count == 0) return;
            var value = result.GetValueOrDefault<T>();
            if (value is null) return;
            double v = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            bool aboveMin = minExclusive ? v > min : v >= min;
            if (!aboveMin || v > max) result.AddError($"{name}: must be {RangeText(min, max, minExclusive)}, got {Show(v)}");
        });
        return option;
    }

    /// <summary>A text option whose value must be one of <paramref name="choices"/>.</summary>
    public static Option<T> Choice<T>(string name, string description, params string[] choices)
    {
        var option = new Option<T>(name) { Description = $"{description} ({string.Join(" | ", choices)})" };
        option.CompletionSources.Add(choices);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !choices.Contains(result.Tokens[0].Value, StringComparer.Ordinal))
                result.AddError($"{name}: '{result.Tokens[0].Value}' is not one of {string.Join(", ", choices)}");
        });
        return option;
    }

    static T Parse<T>(ArgumentResult result, string name)
    {
        if (result.Tokens.Count != 1)
        {
            result.AddError($"{name}: expects one value");
            return default!;
        }
        string text = result.Tokens[0].Value;
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (type == typeof(int)) return Integer<int, T>(result, name, text);
        if (type == typeof(long)) return Integer<long, T>(result, name, text);
        if (type == typeof(float))
        {
            // float.Parse turns "1e39" into ∞: reject anything whose float value is not finite.
            if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) && float.IsFinite(f)) return (T)(object)f;
            result.AddError($"{name}: '{text}' is not a finite number");
            return default!;
        }
        if (type == typeof(double))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)) return (T)(object)d;
            result.AddError($"{name}: '{text}' is not a finite number");
            return default!;
        }
        throw new NotSupportedException($"{name}: no number parser for {type.Name}");
    }

    static T Integer<TInt, T>(ArgumentResult result, string name, string text) where TInt : IBinaryInteger<TInt>, IMinMaxValue<TInt>
    {
        if (TInt.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return (T)(object)value;
        result.AddError(BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            ? $"{name}: {text} is out of range ({TInt.MinValue} to {TInt.MaxValue})"
            : $"{name}: '{text}' is not a whole number");
        return default!;
    }

    static string RangeText(double min, double max, bool minExclusive)
    {
        string lower = min == double.MinValue ? "" : $"{(minExclusive ? ">" : "≥")} {Show(min)}";
        string upper = max == double.MaxValue ? "" : $"≤ {Show(max)}";
        return lower.Length > 0 && upper.Length > 0 ? $"{lower} and {upper}" : lower + upper;
    }

    static string Show(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
