using System.Text.Json;
using System.Text.Json.Nodes;
using PortkeyAdminMcp.Limits;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;
using static PortkeyAdminMcp.Portkey.RequestBody;

namespace PortkeyAdminMcp.Integrations;

/// <summary>
/// Validated integration arguments → the exact Portkey request (reference §6). The key and every configurations field
/// not known to be plain are marked secret in the request, so every preview masks them by field. The model and
/// workspace lists are read first: the request carries what it changes.
/// </summary>
public static class IntegrationRequests
{
    private const string Integrations = "integrations";

    public static PortkeyRequest List(ToolArguments args) =>
        PortkeyRequest.Get([Integrations], PageQuery.Filtered(args, PageNaming.Snake, null, "workspace_id", "type"));

    public static PortkeyRequest Get(ToolArguments args) => PortkeyRequest.Get([Integrations, args.String("slug")!]);

    public static PortkeyRequest Delete(ToolArguments args) => PortkeyRequest.Delete([Integrations, args.String("slug")!]);

    public static PortkeyRequest Models(ToolArguments args) => PortkeyRequest.Get([Integrations, args.String("slug")!, "models"]);

    public static PortkeyRequest Workspaces(ToolArguments args) => PortkeyRequest.Get([Integrations, args.String("slug")!, "workspaces"]);

    public static PortkeyRequest DeleteModel(ToolArguments args) =>
        PortkeyRequest.Delete([Integrations, args.String("slug")!, "models"], [new("slugs", args.String("model_slug")!)]);

    public static PortkeyRequest WorkspaceLookup(string id) => PortkeyRequest.Get(["admin", "workspaces", id]);

    public static PortkeyRequest Create(ToolArguments args, KeyReferences references, List<FieldError> errors)
    {
        var body = new JsonObject { ["name"] = args.String("name"), ["ai_provider_id"] = args.String("ai_provider_id") };
        CopyString(args, body, "slug");
        CopyString(args, body, "description");
        CopyString(args, body, "workspace_id");
        if (args.Boolean("create_default_provider") is { } createProvider)
        {
            body["create_default_provider"] = createProvider;
        }

        CopyString(args, body, "default_provider_slug");
        return Credentials(args, body, references, errors, request => PortkeyRequest.Post([Integrations], request));
    }

    public static PortkeyRequest Update(ToolArguments args, KeyReferences references, List<FieldError> errors)
    {
        var body = new JsonObject();
        CopyString(args, body, "name");
        CopyNullable(args, body, "description");
        return Credentials(args, body, references, errors, request => PortkeyRequest.Put([Integrations, args.String("slug")!], request));
    }

    /// <summary>configurations fields that choose where the provider's credentials are sent.</summary>
    public static readonly string[] EndpointFields = ["custom_host", "azure_foundry_url", "huggingface_base_url", "azure_resource_name"];

    /// <summary>The key (literal, ${env:} or ${secret:}), configurations, mappings and pricing, each secret marked by field.</summary>
    private static PortkeyRequest Credentials(ToolArguments args, JsonObject body, KeyReferences references, List<FieldError> errors, Func<JsonObject, PortkeyRequest> build)
    {
        CopyJson(args, body, "configurations");
        CopyJson(args, body, "secret_mappings");
        CopyJson(args, body, "pricing_adjustments");
        references.ResolveInto(args, body, errors);
        var fromEnvironment = args.String("key")?.StartsWith("${env:", StringComparison.Ordinal) == true;
        if (body["configurations"] is JsonObject credentials)
        {
            // A credential in configurations may name a variable as the key may; a vault reference goes in secret_mappings.
            foreach (var (name, node) in credentials.ToList())
            {
                if (IntegrationContracts.PlainConfigurationFields.Contains(name) || node is not JsonValue text || !text.TryGetValue<string>(out var value) ||
                    !value.StartsWith("${", StringComparison.Ordinal))
                {
                    continue;
                }

                var field = "configurations." + name;
                var (resolved, mapping) = references.Resolve(value, field, errors);
                if (mapping is not null)
                {
                    errors.Add(new FieldError(field, $"cannot be a ${{secret:…}} here; map it with secret_mappings (target_field {field})"));
                }
                else if (resolved is not null)
                {
                    credentials[name] = resolved;
                    fromEnvironment = true;
                }
            }

            // A variable of this server's environment is the operator's secret, not the agent's: the agent may not also
            // choose where it is sent. A host given in the same call would let an agent send it to itself.
            foreach (var endpoint in EndpointFields.Where(credentials.ContainsKey))
            {
                if (fromEnvironment)
                {
                    errors.Add(new FieldError($"configurations.{endpoint}", "cannot be set in the call that sends a credential from ${env:…}: the server's secret would go where the agent says"));
                }
            }
        }
        var request = build(body).WithSecretField("key");
        if (body["configurations"] is JsonObject configurations)
        {
            foreach (var (name, _) in configurations.Where(member => !IntegrationContracts.PlainConfigurationFields.Contains(member.Key)))
            {
                request.WithSecretField("configurations." + name);
            }
        }

        return request;
    }

    /// <summary>
    /// The models to set, sent as given, with what they change against the current list: models newly enabled or
    /// disabled, and custom ones added.
    /// </summary>
    public static PortkeyRequest UpdateModels(ToolArguments args, IntegrationModelsRecord current)
    {
        var body = new JsonObject();
        CopyJson(args, body, "models");
        // Portkey defaults allow_all_models to true when it is left out: a restricted integration would open to every
        // model. Unless the call changes it, the current setting is sent back as it is.
        if ((args.Boolean("allow_all_models") ?? current.AllowAllModels) is { } allowAll)
        {
            body["allow_all_models"] = allowAll;
        }

        var before = (current.Models ?? []).Where(m => m.Slug is not null)
            .GroupBy(m => m.Slug!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => IntegrationModel.Flag(g.First().Enabled) == true, StringComparer.Ordinal);
        var (enabled, disabled, added, unchanged) = (new JsonArray(), new JsonArray(), new JsonArray(), 0);
        foreach (var model in args.Get("models")!.Value.EnumerateArray())
        {
            var slug = ArgumentRules.Text(model, "slug")!;
            var on = model.GetProperty("enabled").ValueKind == JsonValueKind.True;
            if (!before.TryGetValue(slug, out var was))
            {
                added.Add((JsonNode)slug);
            }
            else if (was != on)
            {
                (on ? enabled : disabled).Add((JsonNode)slug);
            }
            else
            {
                unchanged++;
            }
        }

        var changes = new JsonObject { ["enabled"] = enabled, ["disabled"] = disabled, ["added"] = added, ["unchanged"] = unchanged };
        if (args.Boolean("allow_all_models") is { } allow && allow != current.AllowAllModels)
        {
            changes["allow_all_models"] = new JsonObject { ["from"] = current.AllowAllModels, ["to"] = allow };
        }

        return PortkeyRequest.Put([Integrations, args.String("slug")!, "models"], body).WithChanges(changes);
    }

    /// <summary>
    /// Workspace access as Portkey keys it (by slug; <paramref name="slugOf"/> turns a UUID into its slug), each
    /// entry's limits merged with its current ones as the key tools merge theirs: limits an entry does not mention are
    /// sent as they are now. The changes say which workspaces gain access, lose it, or get new limits.
    /// </summary>
    public static PortkeyRequest UpdateWorkspaces(ToolArguments args, IntegrationWorkspacesRecord current, Func<string, string> slugOf, List<FieldError> errors)
    {
        var before = (current.Workspaces ?? []).Where(w => w.Id is not null)
            .GroupBy(w => w.Id!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var body = new JsonObject();
        var (gained, lost, limited, unchanged) = (new JsonArray(), new JsonArray(), new JsonArray(), 0);
        var listed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (args.Has("workspaces"))
        {
            var items = new JsonArray();
            foreach (var (path, entry) in IntegrationContracts.Entries(args).Where(e => e.Path != "global_workspace_access"))
            {
                var slug = slugOf(entry.String("id")!);
                if (!listed.Add(slug))
                {
                    // A UUID and its slug name one workspace: two entries would leave Portkey to pick one.
                    errors.Add(new FieldError($"{path}.id", $"names workspace {slug} again (as its UUID or its slug)"));
                }

                before.TryGetValue(slug, out var now);
                var item = new JsonObject { ["id"] = slug, ["enabled"] = entry.Boolean("enabled") };
                var limitsChanged = Limits(entry, now, item, path, errors);
                CopyBoolean(entry, item, "reset_usage");
                CopyBoolean(entry, item, "create_default_provider");
                CopyString(entry, item, "default_provider_slug");
                items.Add((JsonNode)item);

                var wasEnabled = IntegrationModel.Flag(now?.Enabled) == true;
                var isEnabled = entry.Boolean("enabled") == true;
                if (isEnabled && !wasEnabled)
                {
                    gained.Add((JsonNode)slug);
                }
                else if (!isEnabled && wasEnabled)
                {
                    lost.Add((JsonNode)slug);
                }
                else if (limitsChanged)
                {
                    limited.Add((JsonNode)slug);
                }
                else
                {
                    unchanged++;
                }
            }

            body["workspaces"] = items;
        }

        if (args.Get("global_workspace_access") is { ValueKind: JsonValueKind.Object } globalValue)
        {
            var global = IntegrationContracts.Of(globalValue);
            var access = new JsonObject { ["enabled"] = global.Boolean("enabled") };
            Limits(global, null, access, "global_workspace_access", errors);
            body["global_workspace_access"] = access;
        }

        if (args.Boolean("override_existing_workspace_access") is { } replace)
        {
            body["override_existing_workspace_access"] = replace;
            if (replace)
            {
                // The list replaces all access: every workspace enabled now and not listed loses it.
                foreach (var (slug, _) in before.Where(w => IntegrationModel.Flag(w.Value.Enabled) == true && !listed.Contains(w.Key)))
                {
                    lost.Add((JsonNode)slug);
                }
            }
        }

        if (args.Boolean("create_default_provider") is { } createProvider)
        {
            body["create_default_provider"] = createProvider;
        }

        CopyString(args, body, "default_provider_slug");
        var changes = new JsonObject { ["enabled"] = gained, ["disabled"] = lost, ["limits_changed"] = limited, ["unchanged"] = unchanged };
        if (body["global_workspace_access"] is JsonObject globalAccess)
        {
            // Access for every workspace, present and future: the approver must see it as plainly as a list of names.
            changes["global_workspace_access"] = globalAccess.DeepClone();
        }

        return PortkeyRequest.Put([Integrations, args.String("slug")!, "workspaces"], body).WithChanges(changes);
    }

    /// <summary>One entry's usage and rate limits, each a list of at most one as Portkey keeps them here. True when they change.</summary>
    private static bool Limits(ToolArguments entry, IntegrationWorkspaceRecord? now, JsonObject item, string path, List<FieldError> errors)
    {
        var currentUsage = now?.UsageLimits?.FirstOrDefault(l => l.CreditLimit is not null);
        var changed = false;
        if (UsageLimits.Touched(entry))
        {
            var entryErrors = new List<FieldError>();
            item["usage_limits"] = UsageLimits.ForUpdate(currentUsage, entry, entryErrors) is { } merged ? new JsonArray(merged) : new JsonArray();
            errors.AddRange(entryErrors.Select(e => e with { Field = $"{path}.{e.Field}" }));
            changed = true;
        }
        else if (currentUsage is not null)
        {
            item["usage_limits"] = new JsonArray(UsageLimits.ForUpdate(currentUsage, new ToolArguments(null), []));
        }

        if (LimitRules.RateLimitsFor(entry, now?.RateLimits) is { Send: true } rate)
        {
            item["rate_limits"] = rate.Value ?? new JsonArray();
            changed = true;
        }
        else if (now?.RateLimits is { Count: > 0 } currentRates)
        {
            item["rate_limits"] = LimitRules.AsSent(currentRates);
        }

        return changed;
    }

    private static void CopyBoolean(ToolArguments args, JsonObject body, string name)
    {
        if (args.Boolean(name) is { } value)
        {
            body[name] = value;
        }
    }
}
