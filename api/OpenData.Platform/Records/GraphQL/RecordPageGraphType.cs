using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using OpenData.Platform.GraphQL;
using OpenData.Platform.Records.Output;

namespace OpenData.Platform.Records.GraphQL;

/// <summary><c>type RecordPage { items: [JSON!]! next: String … }</c>: REST's page of records.</summary>
internal sealed class RecordPageGraphType : ObjectGraphType<RecordPage>
{
    public RecordPageGraphType()
    {
        Name = "RecordPage";
        Description = "A page of rows, already desensitised for this caller.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<JsonGraphType>>>>("items")
            .Description("The rows as JSON objects keyed by column name, exactly as REST returns them.")
            .WithComplexityImpact(1, 1) // records(first) already multiplied what lies below
            .Resolve(c =>
            {
                var names = c.Source.Columns.Select(column => JsonEncodedText.Encode(column.Name, RecordWriter.JsonOptions.Encoder)).ToArray();
                var rows = new List<RecordRow>(c.Source.Rows.Count);
                foreach (var cells in c.Source.Rows)
                {
                    rows.Add(new RecordRow(names, cells));
                }
                return rows;
            });
        Field<StringGraphType>("next").Description("Pass as after to get the following page; null on the last page.").Resolve(c => c.Source.Next);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("columns")
            .Description("The columns of items, in order.")
            .Resolve(c => c.Source.Columns.Select(column => column.Name).ToList());
        Field<NonNullGraphType<IntGraphType>>("version").Description("The dataset version the rows come from.").Resolve(c => c.Source.Version);
    }
}
