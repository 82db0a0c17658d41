namespace OpenData.Sandbox.Twins;

/// <summary>A documented synthetic enterprise present in every twin whose schema has a unified-social-credit-code column (see <see cref="Personas"/>).</summary>
internal sealed record PersonaEnterprise(
    string Key,
    string Name,
    string CreditCode,
    Persona Representative,
    string Phone,
    string Email,
    string District,
    string Address,
    string BankAccount);
