/**
 * A test bed of network namespaces joined by veth pairs, and Steadfast processes inside them: used by the
 * integration tests, the demo and the system benchmark. Traffic stays inside the namespaces it creates.
 */
package io.steadfast.pipeline.testbed;
