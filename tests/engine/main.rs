//! Engine tests on real sockets (127.0.0.1, ::1 and AF_UNIX, port 0), the kernel view, and the
//! Python export round trip. One test binary: building one links the app once, not four times.

#[path = "../common/mod.rs"]
mod common;

mod calls;
mod codegen;
mod kernel_view;
mod private_network;
mod relay;
mod rules;
mod wire;
