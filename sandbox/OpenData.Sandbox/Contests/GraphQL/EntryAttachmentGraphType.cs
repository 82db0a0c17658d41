using GraphQL.Types;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>type EntryAttachment</c>: an entry's PDF under its blind name.</summary>
internal sealed class EntryAttachmentGraphType : ObjectGraphType<EntryAttachment>
{
    public EntryAttachmentGraphType()
    {
        Name = "EntryAttachment";
        Description = "An entry's PDF as a judge downloads it: entry-{code}.pdf from href.";
        Field<NonNullGraphType<StringGraphType>>("fileName").Resolve(c => c.Source.FileName);
        Field<NonNullGraphType<LongGraphType>>("size").Resolve(c => c.Source.Size);
        Field<NonNullGraphType<StringGraphType>>("href").Resolve(c => c.Source.Href);
    }
}
