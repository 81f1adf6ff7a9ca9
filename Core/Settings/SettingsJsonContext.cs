using System.Text.Json.Serialization;

namespace ItemsApi.Core.Settings;

/// <summary>Reflection-free JSON for config lists.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class SettingsJsonContext : JsonSerializerContext;
