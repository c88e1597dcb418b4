package io.steadfast.pipeline;
