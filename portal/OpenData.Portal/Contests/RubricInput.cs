namespace OpenData.Portal.Contests;

/// <summary>A row of the organiser's rubric table: a criterion's name, weight and maximum score, as typed.</summary>
internal sealed class RubricInput
{
    public string? Name { get; set; }

    public string? Weight { get; set; }

    public string? Max { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Weight) && string.IsNullOrWhiteSpace(Max);
}
