namespace SynchroMesh.Contracts;

/// <summary>What a sales row may hold: one set of limits for the branch API, the branch table and the head office.</summary>
public static class ProductRules
{
    public const int MaxProductLength = 200;
    public const int MaxRegionLength = 100;

    public static readonly DateOnly MinDate = new(2000, 1, 1);
    public static readonly DateOnly MaxDate = new(2100, 12, 31);

    /// <summary>The most products one batch message may carry (a branch's <c>Sync:BatchSize</c> stays within it).</summary>
    public const int MaxBatchProducts = 1000;

    /// <summary>Cost is stored as numeric(19,4).</summary>
    public const decimal MaxCost = 999_999_999_999_999m;

    public static bool IsAllowedDate(DateOnly date) => date >= MinDate && date <= MaxDate;

    public static bool IsAllowedCost(decimal cost) => cost >= 0 && cost <= MaxCost;

    /// <summary>Tax is a non-negative real number: not NaN, not infinite.</summary>
    public static bool IsAllowedTax(float tax) => float.IsFinite(tax) && tax >= 0;

    /// <summary>
    /// What is wrong with a product's or a region's name, or null when nothing is: it is required, at most
    /// <paramref name="maxLength"/> characters, and storable (<see cref="UnstorableText"/>).
    /// </summary>
    public static string? TextProblem(string? text, int maxLength) =>
        string.IsNullOrWhiteSpace(text) || text.Length > maxLength ? $"required, at most {maxLength} characters" : UnstorableText(text);

    /// <summary>
    /// Why PostgreSQL cannot store <paramref name="text"/> as <c>text</c>, or null when it can: the NUL character
    /// (U+0000) has no place in a text value, and half of a UTF-16 surrogate pair has no UTF-8 encoding. JSON can
    /// carry both (<c>\u0000</c>, <c>\ud800</c>), so the branch API and the head office refuse them by name, instead
    /// of failing at the database.
    /// </summary>
    public static string? UnstorableText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return $"must not contain the NUL character (U+0000, at position {i})";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"must not contain an unpaired surrogate (U+{(int)c:X4}, at position {i})";
            }
        }

        return null;
    }
}
