using System.Text.Json.Nodes;

namespace Sentiment.Tests.AppHost;

/// <summary>The schema check in <see cref="ManifestTests"/> can fail: it catches what the schema forbids.</summary>
public sealed class JsonSchemaValidatorTests
{
    private static readonly JsonSchemaValidator Validator = new(JsonNode.Parse("""
        {
          "type": "object",
          "required": ["resources"],
          "properties": {
            "resources": {
              "type": "object",
              "additionalProperties": {
                "oneOf": [
                  { "$ref": "#/definitions/project" },
                  { "type": "object", "required": ["type"], "not": { "properties": { "type": { "enum": ["project.v0"] } } } }
                ]
              }
            }
          },
          "definitions": {
            "project": {
              "type": "object",
              "required": ["type", "path"],
              "properties": { "type": { "const": "project.v0" }, "path": { "type": "string" } },
              "additionalProperties": false
            }
          }
        }
        """)!);

    [Fact]
    public void Valid_document_has_no_errors()
    {
        var errors = Validator.Validate(JsonNode.Parse("""{ "resources": { "a": { "type": "project.v0", "path": "a.csproj" }, "b": { "type": "other.v0" } } }"""));

        Assert.Empty(errors);
    }

    [Fact]
    public void Project_without_its_required_path_is_invalid()
    {
        var errors = Validator.Validate(JsonNode.Parse("""{ "resources": { "a": { "type": "project.v0" } } }"""));

        Assert.Equal(["$.resources.a: matches 0 of the oneOf schemas, not exactly one"], errors);
    }

    [Fact]
    public void Project_with_a_property_the_schema_does_not_declare_is_invalid()
    {
        var errors = Validator.Validate(JsonNode.Parse("""{ "resources": { "a": { "type": "project.v0", "path": "a", "replicas": 2 } } }"""));

        Assert.Equal(["$.resources.a: matches 0 of the oneOf schemas, not exactly one"], errors);
    }

    [Fact]
    public void Missing_top_level_property_is_named()
    {
        var errors = Validator.Validate(JsonNode.Parse("{}"));

        Assert.Equal(["$: required property 'resources' is missing"], errors);
    }
}
