using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using OpenData.Platform.Common;

namespace OpenData.Portal.Developer;

/// <summary>
/// A service's refusal shown on a form: each field the refusal names (<see cref="Refusal.Errors"/>) gets its message in the
/// page's language (the resources' <c>Field.{form}.{field}</c>, falling back to the service's own words); a refusal naming
/// no field (a conflict, a missing right) is the form's message, keyed by its code (<c>Refusal.{code}</c>) where the
/// resources know it. Where a service words one field's refusals differently for different reasons, <c>messageKeys</c> maps
/// each of its messages to the resource that says it in the page's language.
/// </summary>
internal static class FieldErrors
{
    public static void Show(ModelStateDictionary state, IStringLocalizer text, string form, Refusal refusal, IReadOnlyDictionary<string, string>? codeFields = null,
        IReadOnlyDictionary<string, string>? messageKeys = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(refusal);
        if (refusal.Errors is { Count: > 0 } errors)
        {
            foreach (var (field, messages) in errors)
            {
                var local = messages.Length == 1 && messageKeys is not null && messageKeys.TryGetValue(messages[0], out var key)
                    ? text[key]
                    : text[$"Field.{form}.{field}"];
                state.AddModelError(field, local.ResourceNotFound ? string.Join(" ", messages) : local.Value);
            }
            return;
        }
        var message = text["Refusal." + refusal.Code];
        var shown = message.ResourceNotFound ? refusal.Detail : message.Value;
        state.AddModelError(codeFields is not null && codeFields.TryGetValue(refusal.Code, out var field2) ? field2 : "", shown);
    }
}
