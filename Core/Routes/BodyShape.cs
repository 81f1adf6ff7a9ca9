namespace ItemsApi.Core.Routes;

/// <summary>The JSON a request carries or a response returns (the OpenAPI schemas of the same names).</summary>
public enum BodyShape
{
    /// <summary>No body.</summary>
    None,
    /// <summary>Any JSON object: the client's document.</summary>
    ItemDocument,
    /// <summary>One item: id, version, timestamps and the document under <c>data</c>.</summary>
    Item,
    /// <summary>A page of items and the token for the next one.</summary>
    ItemPage,
}
