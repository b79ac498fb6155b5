// The types a Peer (peer.js) is made with and exchanges: its options and the signals it sends.
// Types only, for JSDoc; nothing runs here.

/**
 * @typedef {import('./features-channel.js').Features} Features
 * @typedef {import('./ice.js').ConnectionProblem} ConnectionProblem
 * @typedef {{type: RTCSdpType, sdp?: string}} DescriptionJson
 * @typedef {{description?: DescriptionJson | null, candidate?: RTCIceCandidateInit | null}} Signal
 *
 * @typedef {object} PeerOptions
 * @property {boolean} polite true: on glare, drop our offer and take theirs
 * @property {(signal: Signal) => void} send delivers a signal to the remote participant
 * @property {RTCIceServer[]} [iceServers]
 * @property {RTCIceTransportPolicy} [iceTransportPolicy] "relay": TURN only, no host or server-reflexive candidates
 * @property {MediaStream | null} [localStream] its tracks are sent to the peer
 * @property {Features} [features] our microphone / camera state, sent over the data channel
 * @property {MediaStream | null} [screenStream] our screen share, sent on transceivers of its own (screen-tracks.js)
 * @property {(track: MediaStreamTrack, streams: readonly MediaStream[]) => void} [onTrack] a camera / microphone track
 * @property {(stream: MediaStream | null) => void} [onScreen] the remote side's screen share starts or ends
 * @property {number} [screenHoldMs] see SCREEN_HOLD_MS
 * @property {(features: Features) => void} [onFeatures] the remote side's microphone / camera state
 * @property {(state: string) => void} [onStateChange] the connection state: new, connecting, connected, disconnected, failed
 * @property {(what: string, error: unknown) => void} [onError]
 * @property {boolean} [awaitOffer] the remote side offers first: hold our first offer back
 * @property {number} [firstOfferPatienceMs] how long awaitOffer waits before offering anyway
 * @property {number} [connectTimeoutMs] not connected this long after creation (or an ICE restart): a problem
 * @property {number} [stallPatienceMs] still "new" this long after creation (or a restart): recover (#unstall)
 * @property {number} [disconnectedPatienceMs] "disconnected" this long: the impolite side restarts ICE
 * @property {(problem: ConnectionProblem | null) => void} [onProblem] the connection cannot be made (null: it is up after all)
 * @property {typeof RTCPeerConnection} [RTCPeerConnection] injectable for tests
 */

export {};
