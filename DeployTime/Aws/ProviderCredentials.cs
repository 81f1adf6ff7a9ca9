using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace ItemsApi.DeployTime.Aws;

/// <summary>
/// The credentials the AWS provider signs with, rebuilt from its config in the provider's order: keys set in
/// aws:accessKey/aws:secretKey (and aws:token); else the profile (aws:profile or AWS_PROFILE) from
/// aws:sharedCredentialsFiles or the usual files, including role, SSO and process profiles; else the SDK's default
/// chain. Then each of aws:assumeRoles in turn, each assumed with the credentials before it. Role and SSO profiles
/// need AWSSDK.SecurityToken, AWSSDK.SSO and AWSSDK.SSOOIDC, which AWSSDK.Core loads by name: DeployTime references
/// them, so those profiles work.
/// </summary>
public static class ProviderCredentials
{
    /// <summary>The session name the provider's roles are assumed with when aws:assumeRoles gives none.</summary>
    public const string DefaultSessionName = "items-api-deploy";

    /// <param name="profiles">The profile store to read; null: the files the config names, else the usual ones.</param>
    public static AWSCredentials For(ProviderConfig config, CredentialProfileStoreChain? profiles = null)
    {
        if (config.Unsupported.Count > 0)
            throw new ProviderIdentityException($"the AWS provider is configured with {string.Join(", ", config.Unsupported.Select(k => "aws:" + k))}, which this program does not reproduce");
        if (config.SharedCredentialsFiles.Count > 1 || config.SharedConfigFiles.Count > 0)
            throw new ProviderIdentityException("the AWS provider reads aws:sharedConfigFiles or several aws:sharedCredentialsFiles, which this program does not reproduce");
        if (config.AssumeRoles.Count > 0 && config.Endpoints.ContainsKey("sts"))
            throw new ProviderIdentityException("the AWS provider assumes roles through a custom STS endpoint (aws:endpoints sts), which this program does not reproduce");

        AWSCredentials credentials = BaseCredentials(config, profiles);
        foreach (ProviderConfig.AssumedRole role in config.AssumeRoles)
            credentials = new AssumeRoleAWSCredentials(credentials, role.RoleArn, role.SessionName ?? DefaultSessionName, new AssumeRoleAWSCredentialsOptions
            {
                ExternalId = role.ExternalId,
                DurationSeconds = role.DurationSeconds,
                Policy = role.Policy,
                SourceIdentity = role.SourceIdentity,
            });
        return credentials;
    }

    private static AWSCredentials BaseCredentials(ProviderConfig config, CredentialProfileStoreChain? profiles)
    {
        if (config.AccessKey is not null || config.SecretKey is not null)
        {
            if (config.AccessKey is null || config.SecretKey is null)
                throw new ProviderIdentityException("aws:accessKey and aws:secretKey must be set together");
            return config.Token is null ? new BasicAWSCredentials(config.AccessKey, config.SecretKey) : new SessionAWSCredentials(config.AccessKey, config.SecretKey, config.Token);
        }
        if (config.Profile is null && config.SharedCredentialsFiles.Count == 0)
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();

        string profile = config.Profile ?? "default";
        profiles ??= config.SharedCredentialsFiles.Count == 1 ? new CredentialProfileStoreChain(config.SharedCredentialsFiles[0]) : new CredentialProfileStoreChain();
        return profiles.TryGetAWSCredentials(profile, out AWSCredentials? fromProfile)
            ? fromProfile
            : throw new ProviderIdentityException($"AWS profile '{profile}' was not found in the shared config or credentials file");
    }
}

/// <summary>The provider's identity cannot be rebuilt: its config asks for something this program does not do, or is incomplete.</summary>
public sealed class ProviderIdentityException(string message) : Exception(message);
