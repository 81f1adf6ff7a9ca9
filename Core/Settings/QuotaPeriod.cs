namespace ItemsApi.Core.Settings;

public enum QuotaPeriod { Day, Week, Month }
