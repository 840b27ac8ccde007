import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// Why a request never got the central's answer, in words a person can act on: read from the HTTP
/// client's and NIO's errors, whose own texts never reach a person.
enum ConnectionFailure: Equatable {
    /// Nothing listens at that address and port: `syncd serve` is stopped, or the port is wrong.
    case refused
    /// The host name does not resolve.
    case unknownHost
    /// No route to the host: this device has no network, or the network cannot reach the central.
    case noRoute
    /// No connection or no answer within the time allowed.
    case timedOut
    /// The central closed the connection before it answered.
    case closedEarly
    /// The secure (TLS) connection could not be set up.
    case insecure
    /// The central's address is not a URL this client can use.
    case badAddress
    /// Anything else that broke the connection.
    case other

    init(_ error: any Error) {
        switch error {
        case let error as NIOConnectionError:
            if let failure = error.connectionErrors.lazy.map({ Self($0.error) }).first(where: { $0 != .other }) {
                self = failure
            } else if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                self = .unknownHost
            } else {
                self = .other
            }
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED: self = .refused
            case ENETUNREACH, EHOSTUNREACH, ENETDOWN, EHOSTDOWN: self = .noRoute
            case ETIMEDOUT: self = .timedOut
            case ECONNRESET, EPIPE: self = .closedEarly
            default: self = .other
            }
        case is SocketAddressError:
            self = .unknownHost
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout: self = .timedOut
            case .remoteConnectionClosed: self = .closedEarly
            case .tlsHandshakeTimeout: self = .insecure
            case .invalidURL, .emptyHost, .emptyScheme: self = .badAddress
            default: self = .other
            }
        case is ChannelError:
            self = .closedEarly
        default:
            // TLS errors come from NIOSSL, which this target does not link: judged by their type's name.
            self = String(reflecting: type(of: error)).contains("SSL") ? .insecure : .other
        }
    }

    /// The cause, and what to do about it.
    var explanation: String {
        switch self {
        case .refused: "nothing answers at that address: syncd serve may be stopped there, or the port is wrong"
        case .unknownHost: "its host name cannot be found: check the address (report-cli sync --central URL), or the network's name service"
        case .noRoute: "there is no network route to it: check this device's network"
        case .timedOut: "it did not answer in time: the network or the central is down or very slow"
        case .closedEarly: "the connection was closed before the central answered"
        case .insecure: "a secure (TLS) connection to it could not be set up: check the address's https and the central's certificate"
        case .badAddress: "that is not an http:// or https:// address; give the right one with report-cli sync --central URL"
        case .other: "the connection failed"
        }
    }
}
