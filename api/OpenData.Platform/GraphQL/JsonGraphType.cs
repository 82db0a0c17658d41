using GraphQL.Types;

namespace OpenData.Platform.GraphQL;

/// <summary>
/// <c>scalar JSON</c>: a value passed through as JSON. Rows of records are written by the REST writer's own cell format
/// (the records module's <c>RecordRowJsonConverter</c>), so a row reads the same over GraphQL and REST.
/// </summary>
internal sealed class JsonGraphType : ComplexScalarGraphType
{
    public JsonGraphType()
    {
        Name = "JSON";
        Description = "A JSON value. Rows of records are objects keyed by column name, exactly as REST returns them.";
    }
}
