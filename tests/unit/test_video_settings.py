"""The video settings: ICE servers from TOML or JSON, and a Jitsi domain that is a host name."""

from __future__ import annotations

import pytest

from kiosk.core.config import ConfigError, load_config


def test_ice_servers_come_from_json_in_the_environment() -> None:
    loaded = load_config(environ={"KIOSK_ICE_SERVERS": '[{"urls": "turn:t.example:3478", '
                                                       '"username": "u", "credential": "c"}]'})
    assert loaded["ice_servers"] == [{"urls": "turn:t.example:3478", "username": "u",
                                      "credential": "c"}]
    assert load_config(environ={})["ice_servers"] == []  # the loopback demo needs none


@pytest.mark.parametrize("domain", ["meet.example.org 'unsafe-inline'", "https://meet.example",
                                    "a;b", ""])
def test_a_jitsi_domain_that_is_not_a_host_name_stops_the_kiosk(domain: str) -> None:
    with pytest.raises(ConfigError, match="jitsi_domain"):
        load_config(environ={"KIOSK_JITSI_DOMAIN": domain})


def test_only_known_video_providers() -> None:
    assert load_config(environ={"KIOSK_VIDEO_PROVIDER": "jitsi"})["video_provider"] == "jitsi"
    with pytest.raises(ConfigError, match="video_provider"):
        load_config(environ={"KIOSK_VIDEO_PROVIDER": "zoom"})
