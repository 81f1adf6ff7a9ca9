using System.Text.Json.Serialization;

namespace ItemsApi.Core.Settings;

/// <summary>Reflection-free JSON for config lists and the access log (<see cref="AccessLogFormat"/>).</summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SettingsJsonContext : JsonSerializerContext;
