namespace OpenData.Platform.Storage;

/// <summary>The database engines the platform runs on.</summary>
internal enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
