using OpenData.Platform.Common;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>
/// A dataset's aggregate access, set by its owner: whether signed-in callers without a grant may aggregate it, only by the columns
/// named <see cref="Groupable"/>, measuring sums and averages only of the columns in <see cref="Bounds"/> (each value clipped to
/// ±bound, which is the sum's sensitivity), under disclosure control: cells under <see cref="K"/> contributors suppressed, sums
/// where one contributor makes more than <see cref="Dominance"/> % suppressed, Laplace noise of <see cref="Epsilon"/> per query,
/// and at most <see cref="DailyBudget"/> of epsilon per tenant and day.
/// </summary>
internal sealed record AggregateAccess(bool Enabled, int K, double Epsilon, double DailyBudget, double Dominance, IReadOnlyList<string> Groupable,
    IReadOnlyDictionary<string, double> Bounds)
{
    public const int DefaultK = 10;
    public const double DefaultEpsilon = 1.0;
    public const double DefaultDailyBudget = 10.0;
    public const double DefaultDominance = 85.0;

    /// <summary>Direct identifiers are never groupable: a group per name or per phone number is a row.</summary>
    public static bool IsDirectIdentifier(ColumnDefinition column) => column.Tag is { } tag && tag.StartsWith("pii.", StringComparison.Ordinal);

    /// <summary>Checks an owner's request against the dataset: 400 with what to fix.</summary>
    public static Outcome<AggregateAccess> From(AggregateAccessRequest request, DatasetSchema dataset)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(dataset);
        var k = request.K ?? DefaultK;
        var epsilon = request.Epsilon ?? DefaultEpsilon;
        var budget = request.DailyBudget ?? DefaultDailyBudget;
        var dominance = request.Dominance ?? DefaultDominance;
        if (k is < 3 or > 1000)
        {
            return Refusal.BadRequest(CommonErrors.Validation, $"k must be between 3 and 1000; it was {k}");
        }
        if (!(epsilon is > 0 and <= 10))
        {
            return Refusal.BadRequest(CommonErrors.Validation, $"epsilon must be above 0 and at most 10; it was {epsilon}");
        }
        if (!(budget >= epsilon && budget <= 1000))
        {
            return Refusal.BadRequest(CommonErrors.Validation, $"dailyBudget must be at least epsilon ({epsilon}) and at most 1000; it was {budget}");
        }
        if (!(dominance is >= 50 and <= 100))
        {
            return Refusal.BadRequest(CommonErrors.Validation, $"dominance must be a percentage between 50 and 100; it was {dominance}");
        }
        var groupable = new List<string>();
        foreach (var name in request.Groupable ?? [])
        {
            var column = dataset.FindColumn(name);
            if (column is null)
            {
                return Refusal.BadRequest(CommonErrors.Validation, $"groupable: '{name}' is not a column of '{dataset.Id}'");
            }
            if (IsDirectIdentifier(column))
            {
                return Refusal.BadRequest(AggregatesErrors.ColumnNotGroupable, $"groupable: '{name}' is tagged {column.Tag}, a direct identifier, and is never groupable");
            }
            if (!groupable.Contains(column.Name))
            {
                groupable.Add(column.Name);
            }
        }
        var bounds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, bound) in request.Bounds ?? new Dictionary<string, double>())
        {
            var column = dataset.FindColumn(name);
            if (column is null || column.Type is not (ColumnType.Integer or ColumnType.Decimal))
            {
                return Refusal.BadRequest(CommonErrors.Validation, $"bounds: '{name}' is not a number column of '{dataset.Id}'");
            }
            if (!(bound is > 0 and < 1e12))
            {
                return Refusal.BadRequest(CommonErrors.Validation, $"bounds: the bound of '{name}' must be above 0; it was {bound}");
            }
            bounds[column.Name] = bound;
        }
        return new AggregateAccess(request.Enabled, k, epsilon, budget, dominance, groupable, bounds);
    }
}

/// <summary>The owner's <c>PUT /v1/datasets/{id}/aggregate-access</c> body; what is left out takes its default.</summary>
internal sealed record AggregateAccessRequest(bool Enabled, int? K, double? Epsilon, double? DailyBudget, double? Dominance, IReadOnlyList<string>? Groupable,
    IReadOnlyDictionary<string, double>? Bounds);
