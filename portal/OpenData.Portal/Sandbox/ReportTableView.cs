using System.Text.Json;

namespace OpenData.Portal.Sandbox;

/// <summary>A report table as the page renders it: its caption, and how its field names and values are worded.</summary>
internal sealed record ReportTableView(ReportTable Table, string Caption, Func<string, string> Label, Func<JsonElement, string> Cell);
