namespace ItemsApi.DeployTime.Settings;

/// <summary>
/// The types a Pulumi.yaml config declaration may name. Pulumi's project schema allows exactly
/// <c>string | integer | boolean | array</c> (an array also needs <c>items</c>); anything else, such as
/// <c>number</c>, makes every command in the folder fail with "could not validate 'Pulumi.yaml'".
/// </summary>
public enum ConfigType { String, Integer, Boolean, Array }
