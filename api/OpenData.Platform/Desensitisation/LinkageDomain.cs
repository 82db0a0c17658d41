namespace OpenData.Platform.Desensitisation;

/// <summary>
/// A linkage domain of <c>desensitisation.yaml</c>: pseudonymised columns with these tags get tokens that match across the
/// datasets whose owners approve the domain in a tenant's grants; everywhere else tokens differ from dataset to dataset.
/// </summary>
internal sealed record LinkageDomain(string Name, string Description, IReadOnlySet<string> Tags);
