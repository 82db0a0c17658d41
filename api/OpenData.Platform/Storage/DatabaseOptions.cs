using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.Storage;

/// <summary>Where the platform keeps its state (section <c>OpenData:Database</c>).</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "OpenData:Database";

    /// <summary><c>sqlite</c> (default, embedded) or <c>postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder for the SQLite file, upload spools and keys; relative to the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Seed demo data when the catalogue is empty at start.</summary>
    public bool SeedOnStart { get; set; } = true;

    /// <summary>Filled from <c>ConnectionStrings:OpenData</c>; defaults to a SQLite file in <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long one statement a caller shaped (a page of records with its <c>where</c> and <c>order_by</c>, a GraphQL records field,
    /// a risk count) may run before the store stops it and the caller gets 503 <c>query.timeout</c>; 0 switches the limit off.
    /// PostgreSQL enforces it on the server (<c>statement_timeout</c>), SQLite through a progress handler. The platform's own
    /// statements (ingestion, migrations, bookkeeping) and export streams are not limited.
    /// </summary>
    [Range(0, 86_400)]
    public double StatementTimeoutSeconds { get; set; } = 30;
}
