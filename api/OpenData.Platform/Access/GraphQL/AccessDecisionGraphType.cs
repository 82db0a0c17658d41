using GraphQL.Types;

namespace OpenData.Platform.Access.GraphQL;

/// <summary><c>enum AccessDecisionKind { approve reject requestChanges }</c>, REST's <c>approve | reject | request-changes</c>.</summary>
internal sealed class AccessDecisionGraphType : EnumerationGraphType
{
    public AccessDecisionGraphType()
    {
        Name = "AccessDecisionKind";
        Description = "A reviewer's decision.";
        Add("approve", "approve", "Approve, optionally narrowing the columns and the expiry.");
        Add("reject", "reject", "Reject; the request is closed.");
        Add("requestChanges", "request-changes", "Send back to the requester, who may change and resubmit it.");
    }
}
