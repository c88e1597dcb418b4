package io.steadfast.benchmarks;
