import pytest


@pytest.mark.django_db
def test_sign_in_page_answers(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "Sign in to Heard" in response.content.decode()
