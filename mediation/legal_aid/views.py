from flask import Blueprint

bp = Blueprint("legal_aid", __name__)
