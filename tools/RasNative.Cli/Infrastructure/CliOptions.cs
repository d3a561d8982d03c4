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
    /// <summary>A number option (int, long, float, double, or nullable) within [min, max]; exclusive lower bound by flag.</summary>
    public static Option<T> Number<T>(string name, string description, double min = double.MinValue, double max = double.MaxValue,
        bool minExclusive = false, Func<ArgumentResult, T>? defaultValue = null)
    {
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        // The type's own limits bound the range, so an integer flag never overflows on conversion.
        (min, max) = type == typeof(int) ? (Math.Max(min, int.MinValue), Math.Min(max, int.MaxValue))
            : type == typeof(long) ? (Math.Max(min, long.MinValue), Math.Min(max, long.MaxValue))
            : type == typeof(float) ? (Math.Max(min, float.MinValue), Math.Min(max, float.MaxValue))
            : (min, max);
        var option = new Option<T>(name) { Description = description, CustomParser = result => Parse<T>(result, name, type, min, max, minExclusive) };
        if (defaultValue != null) option.DefaultValueFactory = defaultValue;
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

    static T Parse<T>(ArgumentResult result, string name, Type type, double min, double max, bool minExclusive)
    {
        if (result.Tokens.Count != 1)
        {
            result.AddError($"{name}: expects one value");
            return default!;
        }
        string text = result.Tokens[0].Value;
        bool integer = type == typeof(int) || type == typeof(long);
        // Integers parse exactly (BigInteger), reals as double; "NaN", "Infinity" and "1e39" (∞ as a float) are not finite.
        double value;
        BigInteger whole = default;
        if (integer && BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out whole)) value = (double)whole;
        else if (!integer && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            && double.IsFinite(type == typeof(float) ? (float)real : real)) value = real;
        else
        {
            result.AddError($"{name}: '{text}' is not {(integer ? "a whole number" : "a finite number")}");
            return default!;
        }
        bool inRange = integer
            ? whole >= BigInteger.Max(new BigInteger(min), type == typeof(int) ? int.MinValue : long.MinValue) + (minExclusive ? 1 : 0)
              && whole <= BigInteger.Min(new BigInteger(max), type == typeof(int) ? int.MaxValue : long.MaxValue)
            : (minExclusive ? value > min : value >= min) && value <= max;
        if (!inRange)
        {
            result.AddError($"{name}: must be {RangeText(min, max, minExclusive, type)}, got {text}");
            return default!;
        }
        return type == typeof(int) ? (T)(object)(int)value
            : type == typeof(long) ? (T)(object)(long)whole
            : type == typeof(float) ? (T)(object)(float)value
            : type == typeof(double) ? (T)(object)value
            : throw new NotSupportedException($"{name}: no number parser for {type.Name}");
    }

    static string RangeText(double min, double max, bool minExclusive, Type type)
    {
        bool unbounded(double bound) => Math.Abs(bound) >= (type == typeof(int) ? int.MaxValue : type == typeof(long) ? long.MaxValue : type == typeof(float) ? float.MaxValue : double.MaxValue);
        string lower = unbounded(min) ? "" : $"{(minExclusive ? ">" : "≥")} {Show(min)}";
        string upper = unbounded(max) ? "" : $"≤ {Show(max)}";
        return lower.Length > 0 && upper.Length > 0 ? $"{lower} and {upper}" : lower + upper;
    }

    static string Show(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
