using System.Text.RegularExpressions;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Catalogue;

/// <summary>Checks a <see cref="NewDataset"/> and says, field by field, what to fix.</summary>
internal static partial class DatasetValidator
{
    public const int MaxColumns = 200;

    /// <summary>Each index is built on every load and kept beside the rows; beyond a handful a load costs more than the reads gain.</summary>
    public const int MaxIndexedColumns = 8;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$")]
    private static partial Regex Slug();

    [GeneratedRegex(@"^[\p{L}_][\p{L}\p{N}_]{0,63}$")]
    private static partial Regex ColumnName();

    /// <summary>A tag must be one the desensitisation policy knows, on a column of a type it fits; otherwise nothing would protect it.</summary>
    public static string? TagProblem(string tag, ColumnType type, Desensitisation.DesensitisationPolicy policy)
    {
        if (!ColumnTags.IsShape(tag))
        {
            return "a tag is dotted lower-case words such as pii.phone or geo.point";
        }
        var rule = policy.Find(tag);
        if (rule is null)
        {
            return $"unknown tag '{tag}': the desensitisation policy knows {string.Join(", ", policy.Tags.Keys.Order(StringComparer.Ordinal))}";
        }
        return rule.Types.Contains(type)
            ? null
            : $"tag '{tag}' fits columns of type {string.Join(" or ", rule.Types.Select(ColumnTypes.Name))}, not {ColumnTypes.Name(type)}";
    }

    /// <summary>
    /// Why a column of <paramref name="type"/> may not be indexed, or null. A boolean holds two values: a filter on it selects
    /// about half the rows, which a scan reads faster than an index, so neither engine would use one.
    /// </summary>
    public static string? IndexProblem(string column, ColumnType type) => type == ColumnType.Boolean
        ? $"column '{column}' is boolean: with two values an index on it is never used; index a more selective column (a code, a date, an id) or remove indexed"
        : null;

    /// <summary>The refusal of more indexed columns than <see cref="MaxIndexedColumns"/>.</summary>
    public static string TooManyIndexes(int count) =>
        $"{count} columns are indexed; a dataset may index at most {MaxIndexedColumns} (each index is rebuilt on every load): keep the ones filters use most";

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static ValidDataset? Validate(NewDataset? body, IReadOnlyCollection<string> themes, Desensitisation.DesensitisationPolicy policy, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (body is null)
        {
            errors["body"] = ["send a JSON object with id, title, theme, classification, license, updateFrequency and columns (and optionally description, titleEn, descriptionEn)"];
            return null;
        }
        var e = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!e.TryGetValue(field, out var list))
            {
                e[field] = list = [];
            }
            list.Add(message);
        }

        if (string.IsNullOrEmpty(body.Id) || !Slug().IsMatch(body.Id))
        {
            Add("id", "id must be a slug of 3 to 64 characters: lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
        if (string.IsNullOrWhiteSpace(body.Title) || body.Title.Length > 200)
        {
            Add("title", "title is required, at most 200 characters");
        }
        if (body.Description is { Length: > 4000 })
        {
            Add("description", "description may hold at most 4000 characters");
        }
        // English is optional; when sent it is a real text, not a blank that the portal would show instead of the Chinese.
        if (body.TitleEn is not null && (string.IsNullOrWhiteSpace(body.TitleEn) || body.TitleEn.Length > 200))
        {
            Add("titleEn", "titleEn, the English title, is optional; when given it is not blank and holds at most 200 characters");
        }
        if (body.DescriptionEn is { Length: > 4000 })
        {
            Add("descriptionEn", "descriptionEn, the English description, may hold at most 4000 characters");
        }
        if (string.IsNullOrWhiteSpace(body.Theme) || !themes.Contains(body.Theme))
        {
            Add("theme", $"theme must be one of: {string.Join(", ", themes.Order(StringComparer.Ordinal))}");
        }
        Classification? classification = body.Classification?.ToLowerInvariant() switch
        {
            "open" => Classification.Open,
            "restricted" => Classification.Restricted,
            "sensitive" => Classification.Sensitive,
            _ => null,
        };
        if (classification is null)
        {
            Add("classification", "classification must be open, restricted or sensitive");
        }
        if (string.IsNullOrWhiteSpace(body.License) || body.License.Length > 100)
        {
            Add("license", "license is required (for example CC-BY-4.0), at most 100 characters");
        }
        if (string.IsNullOrWhiteSpace(body.UpdateFrequency) || body.UpdateFrequency.Length > 50)
        {
            Add("updateFrequency", "updateFrequency is required (for example daily, monthly, irregular), at most 50 characters");
        }

        var columns = new List<ColumnDefinition>();
        if (body.Columns is null || body.Columns.Count == 0)
        {
            Add("columns", "declare at least one column");
        }
        else if (body.Columns.Count > MaxColumns)
        {
            Add("columns", $"a dataset may declare at most {MaxColumns} columns");
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < body.Columns.Count; i++)
            {
                var c = body.Columns[i];
                var field = $"columns[{i}]";
                if (c is null)
                {
                    Add(field, "a column must be an object with name and type");
                    continue;
                }
                if (string.IsNullOrEmpty(c.Name) || !ColumnName().IsMatch(c.Name))
                {
                    Add($"{field}.name", "a column name starts with a letter or '_' and holds letters, digits and '_', at most 64 characters");
                }
                else if (!seen.Add(c.Name))
                {
                    Add($"{field}.name", $"column '{c.Name}' is declared twice (names are compared ignoring case)");
                }
                if (!ColumnTypes.TryParse(c.Type, out var type))
                {
                    Add($"{field}.type", $"type must be one of: {string.Join(", ", ColumnTypes.Names)}");
                }
                if (c.Tag is not null && (type is null ? (ColumnTags.IsShape(c.Tag) ? null : "a tag is dotted lower-case words such as pii.phone or geo.point") : TagProblem(c.Tag, type.Value, policy)) is { } tagProblem)
                {
                    Add($"{field}.tag", tagProblem);
                }
                if (c.Title is { Length: > 200 } || c.Description is { Length: > 2000 })
                {
                    Add(field, "a column title holds at most 200 characters and a description at most 2000");
                }
                if (c.TitleEn is { Length: > 200 } || c.DescriptionEn is { Length: > 2000 })
                {
                    Add(field, "a column's English title holds at most 200 characters and its English description at most 2000");
                }
                if (c.Indexed == true && type is not null && IndexProblem(c.Name ?? field, type.Value) is { } indexProblem)
                {
                    Add($"{field}.indexed", indexProblem);
                }
                if (type is not null && c.Name is not null)
                {
                    columns.Add(new ColumnDefinition(i, c.Name, type.Value, string.IsNullOrWhiteSpace(c.Title) ? c.Name : c.Title, c.Description, c.Tag)
                    {
                        TitleEn = Blank(c.TitleEn),
                        DescriptionEn = Blank(c.DescriptionEn),
                        Indexed = c.Indexed == true,
                    });
                }
            }
            var indexed = body.Columns.Count(c => c?.Indexed == true);
            if (indexed > MaxIndexedColumns)
            {
                Add("columns", TooManyIndexes(indexed));
            }
        }

        if (e.Count > 0)
        {
            errors = e.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
            return null;
        }
        return new ValidDataset(body.Id, body.Title.Trim(), body.TitleEn?.Trim(), body.Description?.Trim() ?? "",
            string.IsNullOrWhiteSpace(body.DescriptionEn) ? null : body.DescriptionEn.Trim(), body.Theme, classification!.Value, body.License.Trim(), body.UpdateFrequency.Trim(), columns);
    }
}
