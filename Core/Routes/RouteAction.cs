namespace ItemsApi.Core.Routes;

/// <summary>What a route does; the request handler dispatches on it.</summary>
public enum RouteAction { CreateItem, ListItems, GetItem, ReplaceItem, DeleteItem }
