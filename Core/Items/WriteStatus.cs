namespace ItemsApi.Core.Items;

public enum WriteStatus { Ok, NotFound, VersionMismatch }
