namespace OpenData.Sandbox.Twins;

/// <summary>A documented synthetic citizen present in every twin whose schema has a column for one of these values (see <see cref="Personas"/>).</summary>
internal sealed record Persona(
    string Key,
    string Name,
    string Gender,
    DateOnly BirthDate,
    string IdCard,
    string Mobile,
    string Email,
    string District,
    string Address,
    string BankCard,
    string Point)
{
    /// <summary>Age in whole years on 1 January 2026 (fixed, so the persona's row is the same whenever the twin is made).</summary>
    public int Age => 2025 - BirthDate.Year;
}
