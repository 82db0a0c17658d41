using OpenData.Platform.Common;

namespace OpenData.Sandbox.Contests;

/// <summary>What is wrong with a contest request, field by field; answered as one 400 <c>request.validation</c> naming every field.</summary>
internal sealed class InputErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public int Count => _errors.Count;

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public Refusal ToRefusal() => Refusal.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}
