using GraphQL.Types;
using OpenData.Platform.Tenancy;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>type ContestTeam</c>: as <c>GET /v1/contests/{id}/teams/{teamId}</c> answers it (the organiser and the team's tenant only).</summary>
internal sealed class TeamGraphType : ObjectGraphType<Team>
{
    public TeamGraphType()
    {
        Name = "ContestTeam";
        Description = "A contest team: status (pending, approved, rejected), members, the terms version accepted, the decision, its sandbox app.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("contestId").Resolve(c => c.Source.ContestId);
        Field<NonNullGraphType<StringGraphType>>("tenantId").Resolve(c => c.Source.TenantId);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<StringGraphType>("track").Resolve(c => c.Source.Track);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("members").Description("Members' e-mails.").Resolve(c => c.Source.Members);
        Field<NonNullGraphType<IntGraphType>>("termsVersion").Resolve(c => c.Source.TermsVersion);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("termsAcceptedAt").Resolve(c => c.Source.TermsAcceptedAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("registeredAt").Resolve(c => c.Source.RegisteredAt);
        Field<DateTimeOffsetGraphType>("decidedAt").Resolve(c => c.Source.DecidedAt);
        Field<StringGraphType>("decisionReason").Resolve(c => c.Source.DecisionReason);
        Field<StringGraphType>("appId").Description("The team's sandbox app.").Resolve(c => c.Source.AppId);
        Field<StringGraphType>("clientId").Description("The sandbox app's client id (sbx_…).").Resolve(c => c.Source.ClientId);
        Field<StringGraphType>("liveAppId").Description("The live app a winning team took live.").Resolve(c => c.Source.LiveAppId);
    }
}

/// <summary><c>type ContestCredentials</c>: a team's sandbox client id and secret, shown once.</summary>
internal sealed class ContestCredentialsGraphType : ObjectGraphType<AppCredentials>
{
    public ContestCredentialsGraphType()
    {
        Name = "ContestCredentials";
        Description = "A team's sandbox credentials (client credentials grant); the secret is shown this once.";
        Field<NonNullGraphType<StringGraphType>>("clientId").Resolve(c => c.Source.ClientId);
        Field<NonNullGraphType<StringGraphType>>("clientSecret").Resolve(c => c.Source.ClientSecret);
        Field<NonNullGraphType<StringGraphType>>("environment").Resolve(c => c.Source.Environment);
    }
}

/// <summary><c>type ContestTeamRegistration</c>: the team and, when approval is automatic, its credentials.</summary>
internal sealed class TeamRegisteredGraphType : ObjectGraphType<TeamRegistered>
{
    public TeamRegisteredGraphType()
    {
        Name = "ContestTeamRegistration";
        Field<NonNullGraphType<TeamGraphType>>("team").Resolve(c => c.Source.Team);
        Field<ContestCredentialsGraphType>("credentials").Description("At once when the contest approves automatically; otherwise null.").Resolve(c => c.Source.Credentials);
    }
}

/// <summary><c>type ContestSubmission</c>: one version of a team's submission.</summary>
internal sealed class SubmissionGraphType : ObjectGraphType<Submission>
{
    public SubmissionGraphType()
    {
        Name = "ContestSubmission";
        Description = "One version of a team's submission; current is the one judged.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("teamId").Resolve(c => c.Source.TeamId);
        Field<NonNullGraphType<StringGraphType>>("teamName").Resolve(c => c.Source.TeamName);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(c => c.Source.Version);
        Field<NonNullGraphType<BooleanGraphType>>("current").Resolve(c => c.Source.Current);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Title);
        Field<NonNullGraphType<StringGraphType>>("description").Resolve(c => c.Source.Description);
        Field<StringGraphType>("url").Resolve(c => c.Source.Url);
        Field<StringGraphType>("repositoryUrl").Resolve(c => c.Source.RepositoryUrl);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("datasets").Resolve(c => c.Source.Datasets);
        Field<StringGraphType>("attachmentId").Description("Download with GET /v1/contests/{id}/attachments/{attachmentId}.").Resolve(c => c.Source.Attachment?.Id);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("submittedAt").Resolve(c => c.Source.SubmittedAt);
    }
}
