"""Meshes of the models (built on a communicator; generated meshes cached in meshes/)."""
