using System.Text.Json.Serialization;
using ItemsApi.DeployTime.Gateway;

namespace ItemsApi.DeployTime.Settings;

/// <summary>Reflection-free JSON for config lists and the access log (<see cref="AccessLogFormat"/>).</summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SettingsJsonContext : JsonSerializerContext;
