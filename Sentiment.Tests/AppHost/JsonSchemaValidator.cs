using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sentiment.Tests.AppHost;

/// <summary>
/// Checks a document against a JSON Schema (draft-07), for the keywords the Aspire manifest schema uses: $ref,
/// type, required, properties, additionalProperties, items, const, enum, oneOf, allOf and not. Any other keyword
/// fails loudly rather than passing unchecked.
/// </summary>
public sealed class JsonSchemaValidator(JsonNode root)
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "description", "definitions", "title", "default"];

    /// <summary>Every violation, each with its JSON path; empty when the document is valid.</summary>
    public IReadOnlyList<string> Validate(JsonNode? document) => Check(root, document, "$");

    private List<string> Check(JsonNode? schema, JsonNode? value, string path)
    {
        if (schema is JsonValue boolean && boolean.TryGetValue<bool>(out var allowed))
        {
            return allowed ? [] : [$"{path}: not allowed here"];
        }

        var rules = schema!.AsObject();
        var errors = new List<string>();
        foreach (var (keyword, argument) in rules)
        {
            switch (keyword)
            {
                case "$ref":
                    errors.AddRange(Check(Resolve(argument!.GetValue<string>()), value, path));
                    break;
                case "type":
                    if (!HasType(value, argument!.GetValue<string>()))
                    {
                        errors.Add($"{path}: expected {argument}, found {Describe(value)}");
                    }

                    break;
                case "required":
                    if (value is JsonObject requiredObject)
                    {
                        errors.AddRange(argument!.AsArray()
                            .Select(name => name!.GetValue<string>())
                            .Where(name => !requiredObject.ContainsKey(name))
                            .Select(name => $"{path}: required property '{name}' is missing"));
                    }

                    break;
                case "properties":
                    if (value is JsonObject propertiesObject)
                    {
                        foreach (var (name, propertySchema) in argument!.AsObject())
                        {
                            if (propertiesObject.TryGetPropertyValue(name, out var property))
                            {
                                errors.AddRange(Check(propertySchema, property, $"{path}.{name}"));
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if (value is JsonObject additionalObject)
                    {
                        var declared = rules["properties"]?.AsObject().Select(p => p.Key).ToHashSet() ?? [];
                        foreach (var (name, property) in additionalObject.Where(p => !declared.Contains(p.Key)))
                        {
                            errors.AddRange(Check(argument, property, $"{path}.{name}"));
                        }
                    }

                    break;
                case "items":
                    if (value is JsonArray array)
                    {
                        for (var i = 0; i < array.Count; i++)
                        {
                            errors.AddRange(Check(argument, array[i], $"{path}[{i}]"));
                        }
                    }

                    break;
                case "const":
                    if (!JsonNode.DeepEquals(argument, value))
                    {
                        errors.Add($"{path}: expected {argument!.ToJsonString()}, found {Describe(value)}");
                    }

                    break;
                case "enum":
                    if (!argument!.AsArray().Any(option => JsonNode.DeepEquals(option, value)))
                    {
                        errors.Add($"{path}: {Describe(value)} is not one of {argument.ToJsonString()}");
                    }

                    break;
                case "oneOf":
                    var matches = argument!.AsArray().Count(option => Check(option, value, path).Count == 0);
                    if (matches != 1)
                    {
                        errors.Add($"{path}: matches {matches} of the oneOf schemas, not exactly one");
                    }

                    break;
                case "allOf":
                    foreach (var part in argument!.AsArray())
                    {
                        errors.AddRange(Check(part, value, path));
                    }

                    break;
                case "not":
                    if (Check(argument, value, path).Count == 0)
                    {
                        errors.Add($"{path}: matches a schema it must not match");
                    }

                    break;
                default:
                    if (!Annotations.Contains(keyword))
                    {
                        throw new NotSupportedException($"The schema keyword '{keyword}' at {path} is not supported.");
                    }

                    break;
            }
        }

        return errors;
    }

    private JsonNode Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local references are supported, not {reference}.");
        }

        return reference[2..].Split('/').Aggregate(root, (node, segment) => node[segment]!);
    }

    private static bool HasType(JsonNode? value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value?.GetValueKind() == JsonValueKind.String,
        "number" => value?.GetValueKind() == JsonValueKind.Number,
        "boolean" => value?.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        _ => throw new NotSupportedException($"The schema type '{type}' is not supported."),
    };

    private static string Describe(JsonNode? value) => value?.ToJsonString() ?? "null";
}
