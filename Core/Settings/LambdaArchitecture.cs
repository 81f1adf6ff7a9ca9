namespace ItemsApi.Core.Settings;

public enum LambdaArchitecture { Arm64, X86_64 }
