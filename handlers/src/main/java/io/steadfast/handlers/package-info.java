package io.steadfast.handlers;
