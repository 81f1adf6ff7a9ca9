namespace ItemsApi.DeployTime.Settings;

public enum LambdaArchitecture { Arm64, X86_64 }
