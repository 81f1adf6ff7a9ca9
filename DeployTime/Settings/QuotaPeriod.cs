namespace ItemsApi.DeployTime.Settings;

public enum QuotaPeriod { Day, Week, Month }
