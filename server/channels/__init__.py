"""Channels for people without a smartphone or data: USSD menus and inbound SMS (seed 000 item 1).

Both are called by an operator's gateway, never by a browser: each body is signed with
DARMAN_GATEWAY_SECRET, and every inquiry goes through `server.inquiries`.
"""
