from flask import Blueprint

bp = Blueprint("recovery", __name__)
