namespace OpenData.Platform.Records;

/// <summary>Why a read was refused: HTTP status, stable code and what to fix. REST turns it into problem+json, GraphQL into <c>extensions.code</c>.</summary>
public sealed record ReadProblem(int Status, string Code, string Detail, int? Position = null)
{
    public static ReadProblem BadRequest(string code, string detail, int? position = null) => new(400, code, detail, position);
}
