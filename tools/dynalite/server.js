'use strict'
// dynalite, the DynamoDB-compatible server of the local run and the tests, with a guard in front of it in the same
// process, so no port without the guard is ever open. LocalDynamoDb (LocalDynamoDbServer.cs) starts it instead of
// dynalite's own command line.
//
// Why: dynalite answers any Origin with "Access-Control-Allow-Origin: *" and accepts any signature that starts with
// "AWS4-", so a web page that finds the port could scan, write or delete the local table (with --path, the data
// kept on disk). The guard refuses, with 403 and a DynamoDB error body, before dynalite reads a byte:
// - every request with an Origin header: browsers send one with every cross-origin request, every preflight and
//   every POST (all DynamoDB calls are POSTs); the AWS SDK never does;
// - every request whose Host is not a loopback name: a page that rebinds its own DNS name to 127.0.0.1 is
//   same-origin with this port, but its browser still sends that name. No Host at all (HTTP/1.0) is refused too.
//
// Usage: node server.js [--port <port>] [--path <dir>]
// Listens on 127.0.0.1 only (port 0, the default, picks a free one) and then prints one line,
// "dynalite listening on http://127.0.0.1:<port>", which LocalDynamoDb reads. It stops when its standard input ends:
// LocalDynamoDb holds that pipe open and never writes to it, so the server ends with the process that started it,
// however that process ends (a killed test host left one server running per kill).

const { parseArgs } = require('node:util')
const dynalite = require('dynalite')

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    path: { type: 'string' },
  },
})

// The same names the local gateway answers to (LocalGateway/LoopbackHost.cs), any port, any case.
const loopbackHostNames = ['127.0.0.1', 'localhost', '[::1]']

/** The host name of a Host header without its port, lower case; null when it is missing or not a host[:port]. */
function hostName (host) {
  const match = /^(\[[^\]]*\]|[^:[\]]+)(?::\d*)?$/.exec(host ?? '')
  return match ? match[1].toLowerCase() : null
}

/** Why the request is refused, or null when it may reach dynalite. */
function refusal (request) {
  if (request.headers.origin !== undefined)
    return 'The local DynamoDB refuses requests from web pages (requests with an Origin header).'
  if (!loopbackHostNames.includes(hostName(request.headers.host)))
    return `The local DynamoDB answers only the host names ${loopbackHostNames.join(', ')}.`
  return null
}

const server = dynalite({
  path: options.path,
  // Tables become ACTIVE at once instead of after dynalite's default half second.
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
})

// dynalite's request handler, the only 'request' listener it registers, now runs only behind the guard.
const [dynaliteHandler] = server.listeners('request')
server.removeAllListeners('request')
server.on('request', (request, response) => {
  const message = refusal(request)
  if (message === null) return dynaliteHandler(request, response)
  const body = JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', message })
  request.resume() // discard the body unread
  response.writeHead(403, {
    // As dynalite answers a request sent as application/json; the SDK reads either. A browser can show this type
    // (not DynamoDB's own application/x-amz-json-1.0), so a page that is refused shows why.
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    Connection: 'close',
  })
  response.end(body)
})

process.stdin.on('end', () => process.exit(0))
process.stdin.resume()

server.listen(Number(options.port), '127.0.0.1', () => {
  console.log(`dynalite listening on http://127.0.0.1:${server.address().port}`)
})
