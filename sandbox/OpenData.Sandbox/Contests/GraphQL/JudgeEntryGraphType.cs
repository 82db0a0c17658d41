using GraphQL.Types;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>type JudgeEntry</c>: an entry as a judge sees it (blind), as <c>GET /v1/contests/{id}/entries</c> answers it.</summary>
internal sealed class JudgeEntryGraphType : ObjectGraphType<JudgeEntry>
{
    public JudgeEntryGraphType()
    {
        Name = "JudgeEntry";
        Description = "An entry under its opaque code with what was submitted (latest version); never the team's name, id, members or tenant.";
        Field<NonNullGraphType<StringGraphType>>("entry").Description("The entry's opaque code.").Resolve(c => c.Source.Entry);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(c => c.Source.Version);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Title);
        Field<NonNullGraphType<StringGraphType>>("description").Resolve(c => c.Source.Description);
        Field<StringGraphType>("url").Description("The demo's address.").Resolve(c => c.Source.Url);
        Field<StringGraphType>("repositoryUrl").Resolve(c => c.Source.RepositoryUrl);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("datasets").Resolve(c => c.Source.Datasets);
        Field<EntryAttachmentGraphType>("attachment").Resolve(c => c.Source.Attachment);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("submittedAt").Resolve(c => c.Source.SubmittedAt);
        Field<ScorecardGraphType>("myScore").Description("The calling judge's scorecard, once they scored the entry.").Resolve(c => c.Source.MyScore);
    }
}
