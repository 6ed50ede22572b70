//! Tests only: each test reads the repository as text and fails when a written rule of
//! ARCHITECTURE.md or docs/ stops being true.
