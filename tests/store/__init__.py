"""Tests of passerelle.store (a package so test modules can share helpers)."""
